/**
 * Numbered schema migrations. Migration N brings `PRAGMA user_version` from N-1 to N; never edit
 * a released migration, add the next number.
 * @module
 */

/** One schema step: SQL run in a single transaction. */
export interface Migration {
  version: number;
  sql: string;
}

/** Triggers bumping the rules revision whenever a rule (not a counter column) changes. */
function revisionTriggers(table: string, columns: string): string {
  const bump = "UPDATE counters SET value = value + 1 WHERE name = 'rules_revision';";
  return `
CREATE TRIGGER ${table}_ins AFTER INSERT ON ${table} BEGIN ${bump} END;
CREATE TRIGGER ${table}_del AFTER DELETE ON ${table} BEGIN ${bump} END;
CREATE TRIGGER ${table}_upd AFTER UPDATE OF ${columns} ON ${table} BEGIN ${bump} END;`;
}

/** Default patterns of version 1, whose `(?!…)` lookahead the linear-time matcher lacks. */
const lookaheadDefaults = ["sklearn", "cv2", "PIL", "yaml"].map((name) => ({
  old: String.raw`\bpip install ${name}(?![\w.-])`,
  match: String.raw`\bpip install ${name}([^\w.-]|$)`,
}));

/** The schema steps, in order. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    sql: `
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('rules_revision', 1);

CREATE TABLE correction_patterns (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL DEFAULT 'pattern_match',
  match TEXT NOT NULL,
  is_regex INTEGER NOT NULL DEFAULT 0 CHECK (is_regex IN (0, 1)),
  replacement TEXT NOT NULL,
  confidence REAL NOT NULL DEFAULT 0.9 CHECK (confidence BETWEEN 0 AND 1),
  model_glob TEXT NOT NULL DEFAULT '*',
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  hit_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE navigation_fixes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incorrect_path TEXT NOT NULL,
  correct_path TEXT NOT NULL,
  workspace TEXT NOT NULL DEFAULT '',
  reasoning TEXT NOT NULL DEFAULT '',
  effectiveness REAL NOT NULL DEFAULT 1 CHECK (effectiveness BETWEEN 0 AND 1),
  times_corrected INTEGER NOT NULL DEFAULT 0,
  times_seen INTEGER NOT NULL DEFAULT 0,
  last_applied INTEGER,
  created_at INTEGER NOT NULL,
  UNIQUE (incorrect_path, workspace)
);

CREATE TABLE behavior_patches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  description TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('prompt_modifier', 'output_filter', 'validator')),
  model_glob TEXT NOT NULL DEFAULT '*',
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  success_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE corrections (
  id INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  model TEXT NOT NULL,
  protocol TEXT NOT NULL,
  channel TEXT NOT NULL,
  type TEXT NOT NULL,
  found TEXT NOT NULL,
  replacement TEXT,
  confidence REAL NOT NULL,
  action TEXT NOT NULL,
  pattern_id INTEGER REFERENCES correction_patterns (id) ON DELETE SET NULL
);
CREATE INDEX corrections_request ON corrections (request_id);
CREATE INDEX corrections_type ON corrections (type);
CREATE INDEX corrections_pattern ON corrections (pattern_id);

CREATE TABLE path_observations (
  found TEXT NOT NULL,
  replacement TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (found, replacement)
) WITHOUT ROWID;
${
      revisionTriggers(
        "correction_patterns",
        "type, match, is_regex, replacement, confidence, model_glob, enabled",
      )
    }
${revisionTriggers("navigation_fixes", "incorrect_path, correct_path, workspace")}
${revisionTriggers("behavior_patches", "description, kind, model_glob, payload, enabled")}
`,
  },
  {
    version: 2,
    sql: `
ALTER TABLE corrections ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE corrections ADD COLUMN rule TEXT NOT NULL DEFAULT '';
ALTER TABLE corrections ADD COLUMN context_before TEXT NOT NULL DEFAULT '';
ALTER TABLE corrections ADD COLUMN context_after TEXT NOT NULL DEFAULT '';
UPDATE corrections SET rule = type;
`,
  },
  {
    // The default pip patterns of version 1 rewritten without lookahead (same matches; the
    // character after the name is kept through $1).
    version: 3,
    sql: lookaheadDefaults.map(({ old, match }) =>
      `UPDATE correction_patterns SET match = '${match}',
         replacement = replacement || '$1'
       WHERE is_regex = 1 AND match = '${old}';`
    ).join("\n"),
  },
];

/** Default patterns a fresh database starts with (listed in the README). */
export const defaultPatterns: readonly {
  match: string;
  replacement: string;
  regex: boolean;
}[] = [
  ...lookaheadDefaults.map(({ match }, i) => ({
    match,
    replacement: `pip install ${["scikit-learn", "opencv-python", "pillow", "pyyaml"][i]}$1`,
  })),
  {
    match: String
      .raw`\bfrom collections import (Mapping|MutableMapping|Sequence|MutableSequence|Iterable|Callable)\b`,
    replacement: "from collections.abc import $1",
  },
].map((p) => ({ ...p, regex: true }));
