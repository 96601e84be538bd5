import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from './config-error.ts';
import { zodToConfigError } from './load-alertmanager-config.ts';
import { ruleFileSchema, type NoiseInput, type RuleInput } from './rules-schema.ts';

export interface LoadedRule extends RuleInput {
  group: string;
  /** `rules/cadvisor.yaml: groups[0].rules[2]`. */
  origin: string;
}

export interface RuleSet {
  rules: LoadedRule[];
  /** The `noise:` section (at most one file may have it). */
  noise: NoiseInput | null;
  files: string[];
}

const MAX_FILE_BYTES = 1024 * 1024;

/** Reads every `*.yaml` / `*.yml` in `dir` (sorted); all problems of all files in one ConfigError. */
export function loadRulesDir(dir: string): RuleSet {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch (err) {
    throw new ConfigError(
      `cannot read rules directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  const texts = names.map((name) => {
    const path = join(dir, name);
    if (statSync(path).size > MAX_FILE_BYTES) return { path, text: null };
    return { path, text: readFileSync(path, 'utf8') };
  });
  return parseRuleFiles(texts);
}

export function parseRuleFiles(files: readonly { path: string; text: string | null }[]): RuleSet {
  const problems: string[] = [];
  const set: RuleSet = { rules: [], noise: null, files: files.map((f) => f.path) };
  const names = new Map<string, string>();
  for (const { path, text } of files) {
    if (text === null) {
      problems.push(`${path}: larger than ${MAX_FILE_BYTES} bytes`);
      continue;
    }
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      problems.push(...doc.errors.map((e) => `${path}: invalid YAML: ${e.message.split('\n')[0]}`));
      continue;
    }
    const parsed = ruleFileSchema.safeParse(doc.toJS() ?? {});
    if (!parsed.success) {
      problems.push(...zodToConfigError(parsed.error, path).problems);
      continue;
    }
    if (parsed.data.noise) {
      if (set.noise) problems.push(`${path}: noise: only one rule file may have a noise section`);
      set.noise = parsed.data.noise;
    }
    parsed.data.groups.forEach((group, g) => {
      group.rules.forEach((rule, r) => {
        const origin = `${path}: groups[${g}].rules[${r}]`;
        const key = `${rule.alert}`;
        const clash = names.get(key);
        if (clash && !rule.prometheus)
          problems.push(`${origin}: alert ${rule.alert} is also defined at ${clash}`);
        names.set(key, origin);
        set.rules.push({ ...rule, group: group.name, origin });
      });
    });
  }
  if (problems.length > 0)
    throw new ConfigError(`${problems.length} problem(s) in the rules: ${problems[0]}`, problems);
  return set;
}
