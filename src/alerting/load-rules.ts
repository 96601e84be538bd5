import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config-error.ts';
import { zodToConfigError } from './load-alertmanager-config.ts';
import { parseConfigYaml } from './parse-config-yaml.ts';
import { ruleFileSchema, type NoiseInput, type RuleInput } from './rules-schema.ts';

export interface LoadedRule extends RuleInput {
  group: string;
  /** `rules/cadvisor.yaml:14: groups[0].rules[2]`. */
  origin: string;
}

export interface RuleSet {
  rules: LoadedRule[];
  /** The `noise:` section (at most one file may have it). */
  noise: NoiseInput | null;
  /** The file the `noise:` section came from. */
  noiseFile?: string;
  files: string[];
}

const MAX_FILE_BYTES = 1024 * 1024;

/** Reads every `*.yaml` / `*.yml` in `dir` (sorted); all problems of all files in one ConfigError. */
export function loadRulesDir(dir: string): RuleSet {
  return loadRulePaths([dir]);
}

/**
 * Reads rule files and directories (each directory's `*.yaml` / `*.yml`, sorted; a file named here is
 * read whatever its extension). All problems of all paths in one ConfigError.
 */
export function loadRulePaths(paths: readonly string[]): RuleSet {
  const read = readRuleFiles(paths);
  const parsed = collectRuleFiles(read.files);
  const problems = [...read.problems, ...parsed.problems];
  if (problems.length > 0)
    throw new ConfigError(`${problems.length} problem(s) in the rules: ${problems[0] ?? ''}`, problems);
  return parsed.set;
}

/** The text of every rule file under `paths` (null: too large to read), and what could not be read. */
export function readRuleFiles(paths: readonly string[]): {
  files: { path: string; text: string | null }[];
  problems: string[];
} {
  const problems: string[] = [];
  const files: { path: string; text: string | null }[] = [];
  for (const path of paths) {
    let names: string[];
    try {
      names = statSync(path).isDirectory()
        ? readdirSync(path)
            .filter((n) => /\.ya?ml$/.test(n))
            .sort()
            .map((n) => join(path, n))
        : [path];
    } catch (err) {
      problems.push(
        `cannot read rules directory or file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)} (set TRIBUTARY_RULES_DIR or alerting.rulesDir to a directory of rule files)`,
      );
      continue;
    }
    for (const file of names) {
      try {
        files.push({
          path: file,
          text: statSync(file).size > MAX_FILE_BYTES ? null : readFileSync(file, 'utf8'),
        });
      } catch (err) {
        problems.push(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
    }
  }
  return { files, problems };
}

/** Parses and validates rule file texts; throws a ConfigError listing every problem. */
export function parseRuleFiles(files: readonly { path: string; text: string | null }[]): RuleSet {
  const { set, problems } = collectRuleFiles(files);
  if (problems.length > 0)
    throw new ConfigError(`${problems.length} problem(s) in the rules: ${problems[0] ?? ''}`, problems);
  return set;
}

/** The rules of every valid file, and the problems of the others (for `rules check`: report all). */
export function collectRuleFiles(files: readonly { path: string; text: string | null }[]): {
  set: RuleSet;
  problems: string[];
} {
  const problems: string[] = [];
  const set: RuleSet = { rules: [], noise: null, files: files.map((f) => f.path) };
  const names = new Map<string, string>();
  for (const { path, text } of files) {
    if (text === null) {
      problems.push(`${path}: larger than ${MAX_FILE_BYTES} bytes: refused (split it into several files)`);
      continue;
    }
    const yaml = parseConfigYaml(text, path);
    if (yaml.problems.length > 0) {
      problems.push(...yaml.problems);
      continue;
    }
    const parsed = ruleFileSchema.safeParse(yaml.value);
    if (!parsed.success) {
      problems.push(...zodToConfigError(parsed.error, path, yaml.lineOf).problems);
      continue;
    }
    const at = (where: readonly (string | number)[]): string => {
      const line = yaml.lineOf(where);
      return line === null ? path : `${path}:${line}`;
    };
    if (parsed.data.noise) {
      if (set.noise) problems.push(`${at(['noise'])}: noise: only one rule file may have a noise section`);
      set.noise = parsed.data.noise;
      set.noiseFile = path;
    }
    parsed.data.groups.forEach((group, g) => {
      group.rules.forEach((rule, r) => {
        const origin = `${at(['groups', g, 'rules', r])}: groups[${g}].rules[${r}]`;
        const key = `${rule.alert}`;
        const clash = names.get(key);
        if (clash && !rule.prometheus)
          problems.push(
            `${origin}: alert ${rule.alert} is also defined at ${clash}: give one of them another name`,
          );
        names.set(key, origin);
        set.rules.push({ ...rule, group: group.name, origin });
      });
    });
  }
  return { set, problems };
}
