import { JsonNumber, scaledValue } from './exact-number.ts';

/**
 * Reads a losslessly parsed cAdvisor stats object and collects metric samples. Absent sections and fields
 * are normal (they depend on the cAdvisor version and on what it collected) and yield nothing; a field of
 * the wrong type is a problem, recorded with its path, and the rest of the record is still read.
 */

export type JsonObject = Record<string, unknown>;

export interface JsonNode {
  obj: JsonObject;
  path: string;
}

export interface StatSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  valueText?: string;
  type: 'counter' | 'gauge';
}

export interface FieldProblem {
  path: string;
  message: string;
}

export interface EmitOptions {
  /** Divide by 10^scale: 9 for nanoseconds → seconds, 6 for microseconds → seconds. */
  scale?: number;
  labels?: Record<string, string>;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber)
  );
}

export class StatsReader {
  readonly samples: StatSample[] = [];
  readonly problems: FieldProblem[] = [];

  /** The object at `node.key`; null when absent or null, a problem when it is something else. */
  child(node: JsonNode | null, key: string): JsonNode | null {
    const value = this.get(node, key);
    if (value === undefined || value === null) return null;
    const path = pathOf(node, key);
    if (isJsonObject(value)) return { obj: value, path };
    this.problem(path, 'expected an object');
    return null;
  }

  /** The object elements of the array at `node.key`; other elements are problems. */
  items(node: JsonNode | null, key: string): JsonNode[] {
    const value = this.get(node, key);
    if (value === undefined || value === null) return [];
    const path = pathOf(node, key);
    if (!Array.isArray(value)) {
      this.problem(path, 'expected an array');
      return [];
    }
    const nodes: JsonNode[] = [];
    value.forEach((item: unknown, index) => {
      if (isJsonObject(item)) nodes.push({ obj: item, path: `${path}[${index}]` });
      else this.problem(`${path}[${index}]`, 'expected an object');
    });
    return nodes;
  }

  /** The number elements of the array at `node.key`, with their index; other elements are problems. */
  numberItems(node: JsonNode | null, key: string): { number: JsonNumber; path: string; index: number }[] {
    const value = this.get(node, key);
    if (value === undefined || value === null) return [];
    const path = pathOf(node, key);
    if (!Array.isArray(value)) {
      this.problem(path, 'expected an array');
      return [];
    }
    const numbers: { number: JsonNumber; path: string; index: number }[] = [];
    value.forEach((item: unknown, index) => {
      if (item instanceof JsonNumber) numbers.push({ number: item, path: `${path}[${index}]`, index });
      else this.problem(`${path}[${index}]`, 'expected a number');
    });
    return numbers;
  }

  /** Own keys of the object at `node.key` with their object values (maps such as `hugetlb`). */
  entries(node: JsonNode | null, key: string): [string, JsonNode][] {
    const map = this.child(node, key);
    if (!map) return [];
    return Object.keys(map.obj).flatMap((name): [string, JsonNode][] => {
      const entry = this.child(map, name);
      return entry ? [[name, entry]] : [];
    });
  }

  text(node: JsonNode | null, key: string): string | null {
    const value = this.get(node, key);
    if (value === undefined || value === null) return null;
    if (typeof value === 'string') return value;
    this.problem(pathOf(node, key), 'expected a string');
    return null;
  }

  number(node: JsonNode | null, key: string): JsonNumber | null {
    const value = this.get(node, key);
    if (value === undefined || value === null) return null;
    if (value instanceof JsonNumber) return value;
    this.problem(pathOf(node, key), 'expected a number');
    return null;
  }

  /** Adds a sample named `name` from the number at `node.key`, if there is one. */
  emit(
    node: JsonNode | null,
    key: string,
    name: string,
    type: StatSample['type'],
    options: EmitOptions = {},
  ): void {
    const number = this.number(node, key);
    if (number) this.add(name, type, number, options, pathOf(node, key));
  }

  add(name: string, type: StatSample['type'], number: JsonNumber, options: EmitOptions, path: string): void {
    const { value, valueText } = scaledValue(number, options.scale ?? 0);
    if (!Number.isFinite(value)) {
      this.problem(path, `number ${clipped(number.text)} is out of range`);
      return;
    }
    const sample: StatSample = { name, labels: options.labels ?? {}, value, type };
    if (valueText !== undefined) sample.valueText = valueText;
    this.samples.push(sample);
  }

  /** Adds a sample with a computed value (e.g. a health status mapped to 1/0/-1). */
  addValue(name: string, type: StatSample['type'], value: number, labels: Record<string, string> = {}): void {
    this.samples.push({ name, labels, value, type });
  }

  problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  private get(node: JsonNode | null, key: string): unknown {
    return node && Object.hasOwn(node.obj, key) ? node.obj[key] : undefined;
  }
}

function pathOf(node: JsonNode | null, key: string): string {
  return node === null || node.path === '' ? key : `${node.path}.${key}`;
}

function clipped(text: string): string {
  return text.length > 24 ? `${text.slice(0, 24)}…` : text;
}
