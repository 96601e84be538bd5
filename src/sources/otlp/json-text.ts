export { parseJsonKeepingBigIntegers } from '../../core/json-big-integers.ts';
