/** The dashboard page. @module */
export const DASHBOARD_HTML = "<!doctype html><title>hotpatch</title>";
