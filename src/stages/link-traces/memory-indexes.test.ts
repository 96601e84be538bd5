import { describe } from 'node:test';
import { callEndIndexConformance } from './call-end-index.conformance.ts';
import { MemoryCallEndIndex } from './memory-call-end-index.ts';
import { MemoryTraceLinkIndex } from './memory-trace-link-index.ts';
import { traceLinkIndexConformance } from './trace-link-index.conformance.ts';

describe('MemoryTraceLinkIndex', () => traceLinkIndexConformance(async () => new MemoryTraceLinkIndex()));
describe('MemoryCallEndIndex', () => callEndIndexConformance(async () => new MemoryCallEndIndex()));
