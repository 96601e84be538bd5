/**
 * The Nagios source: what the pipeline wiring may use. Everything here is pure parsing except the tail
 * (a `Component`) and the state tracker (async, behind `CheckStateStore`).
 */
export {
  configuredLayouts,
  createDefaultNagiosConfig,
  createMaxCheckAttempts,
  createServiceResolver,
  nagiosConfigSchema,
  nrdpLimits,
  parseNagiosConfig,
  type NagiosConfig,
} from './config.ts';
export { hostNameAsService, type NagiosParseContext, type ServiceResolver } from './build-check-event.ts';
export {
  detectNagiosFormat,
  NAGIOS_PAYLOAD_FORMATS,
  parseNagiosPayload,
  type NagiosPayloadFormat,
  type NagiosPayloadOptions,
  type NagiosPayloadResult,
} from './parse-payload.ts';
export {
  DEFAULT_NRDP_LIMITS,
  parseNrdpForm,
  parseNrdpJson,
  parseNrdpXml,
  type NrdpLimits,
} from './parse-nrdp.ts';
export { parseExternalCommands, parseNscaLines, type NscaOptions } from './parse-passive-lines.ts';
export { parseCheckResultFile } from './parse-checkresult-file.ts';
export { parsePerfdataFile, parsePerfdataFileLine, type PerfdataFileOptions } from './parse-perfdata-file.ts';
export { parsePluginOutput, unescapeNagiosText, type PluginOutput } from './parse-plugin-output.ts';
export {
  parsePerfdata,
  type ParsedPerfdata,
  type PerfdataItem,
  type PerfdataProblem,
} from './parse-perfdata.ts';
export { parseThresholdRange, rangeAlerts, type ThresholdRange } from './parse-threshold-range.ts';
export {
  compileTemplate,
  RECOMMENDED_HOST_TEMPLATE,
  RECOMMENDED_SERVICE_TEMPLATE,
  type PerfdataFileLayout,
} from './perfdata-file-layout.ts';
export {
  createPerfdataFileTail,
  type PerfdataFileTail,
  type PerfdataFileTailOptions,
} from './perfdata-file-tail.ts';
export { InMemoryPositionStore, type FilePosition, type PositionStore } from './position-store.ts';
export {
  checkStateKey,
  InMemoryCheckStateStore,
  type CheckState,
  type CheckStateStore,
} from './check-state-store.ts';
export {
  createStateTracker,
  trackChecks,
  type CheckStateTracker,
  type StateTrackerOptions,
  type TrackedCheck,
} from './state-tracker.ts';
