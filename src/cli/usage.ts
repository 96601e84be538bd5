export const USAGE = `Usage: tributary <command> [options]

Commands:
  serve                 run the service (default)
  demo [--events N]     run the service and feed it a simulated fleet, then print what to open
  dashboards generate [--service X] [--out dashboards/]
                        write the Grafana and Kibana dashboards of every (or one) service
  dashboards publish [--service X]
                        publish them to the configured Grafana / Kibana
  rules check [DIR|FILE]... [--alertmanager FILE]
                        validate rule files and alertmanager.yml without starting (exit 1 on a problem)
  help                  this text

Configuration: environment variables (TRIBUTARY_*) or a YAML file named by TRIBUTARY_CONFIG;
see the README's configuration table.`;
