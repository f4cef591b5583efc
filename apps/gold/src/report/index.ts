export { writeGoldReport, uplotAssets, DEFAULT_REPORT_PATH, type WriteGoldReportOptions, type GoldReportResult } from './report.js';
export { loadReportTables, REPORT_TABLE_PATHS, MAX_SAMPLES_PER_SATELLITE } from './load.js';
export { reportCharts, pointCount, align, MAX_REPORT_SATELLITES, type ChartSpec, type ReportTables, type GoldRow } from './charts.js';
export { renderReport, type RenderReportOptions, type UplotAssets } from './render.js';
