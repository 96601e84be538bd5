import { describe } from 'node:test';
import { callEndIndexConformance, callEndIndexRetentionConformance } from './call-end-index.conformance.ts';
import { MemoryCallEndIndex } from './memory-call-end-index.ts';
import { MemoryTraceLinkIndex } from './memory-trace-link-index.ts';
import {
  traceLinkIndexConformance,
  traceLinkIndexRetentionConformance,
} from './trace-link-index.conformance.ts';

describe('MemoryTraceLinkIndex', () => {
  traceLinkIndexConformance(async () => new MemoryTraceLinkIndex());
  traceLinkIndexRetentionConformance(async (now) => new MemoryTraceLinkIndex(now));
});
describe('MemoryCallEndIndex', () => {
  callEndIndexConformance(async () => new MemoryCallEndIndex());
  callEndIndexRetentionConformance(async () => new MemoryCallEndIndex());
});
