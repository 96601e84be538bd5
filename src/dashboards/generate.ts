/** Entry points of dashboard generation: the library call and the `tributary dashboards` command. */
export { generateDashboards, type GeneratedFiles, type GenerateResult } from './generate-files.ts';
export { DASHBOARDS_USAGE, runDashboardsCommand } from './dashboards-command.ts';
