/**
 * A configuration (Alertmanager config, rules, silence) that cannot be used. `problems` lists every
 * problem found, each with where it is (`route.routes[2].matchers[0]`, `rules/node.yaml: groups[0]...`).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
  }
}
