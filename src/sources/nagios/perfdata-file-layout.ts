/**
 * Layouts of perfdata-file lines, compiled from the Nagios templates that write them. A template is a
 * tab-separated list of columns, each either literal text (`[SERVICEPERFDATA]`) or one macro (`$TIMET$`).
 * Keyed templates (`DATATYPE::SERVICEPERFDATA\tTIMET::$TIMET$...`, PNP4Nagios style) need no layout: their
 * lines name every field, so they are parsed by key whatever the order.
 */
export type LayoutColumn = { kind: 'literal'; text: string } | { kind: 'macro'; name: string };

export interface PerfdataFileLayout {
  name: string;
  object: 'host' | 'service';
  columns: LayoutColumn[];
}

/** include/defaults.h, also commented in sample-config/nagios.cfg.in. */
export const DEFAULT_SERVICE_TEMPLATE =
  '[SERVICEPERFDATA]\\t$TIMET$\\t$HOSTNAME$\\t$SERVICEDESC$\\t$SERVICEEXECUTIONTIME$\\t$SERVICELATENCY$\\t$SERVICEOUTPUT$\\t$SERVICEPERFDATA$';
export const DEFAULT_HOST_TEMPLATE =
  '[HOSTPERFDATA]\\t$TIMET$\\t$HOSTNAME$\\t$HOSTEXECUTIONTIME$\\t$HOSTOUTPUT$\\t$HOSTPERFDATA$';
/** The printf formats of the process-service-perfdata / process-host-perfdata commands (commands.cfg.in). */
export const PROCESS_SERVICE_PERFDATA_FORMAT =
  '$LASTSERVICECHECK$\\t$HOSTNAME$\\t$SERVICEDESC$\\t$SERVICESTATE$\\t$SERVICEATTEMPT$\\t$SERVICESTATETYPE$\\t$SERVICEEXECUTIONTIME$\\t$SERVICELATENCY$\\t$SERVICEOUTPUT$\\t$SERVICEPERFDATA$\\n';
export const PROCESS_HOST_PERFDATA_FORMAT =
  '$LASTHOSTCHECK$\\t$HOSTNAME$\\t$HOSTSTATE$\\t$HOSTATTEMPT$\\t$HOSTSTATETYPE$\\t$HOSTEXECUTIONTIME$\\t$HOSTOUTPUT$\\t$HOSTPERFDATA$\\n';
/**
 * What we recommend configuring in nagios.cfg: keyed, and it carries the state, attempt and state type the
 * default template lacks (without them a perfdata line cannot say whether the check was OK).
 */
export const RECOMMENDED_SERVICE_TEMPLATE =
  'DATATYPE::SERVICEPERFDATA\\tTIMET::$TIMET$\\tHOSTNAME::$HOSTNAME$\\tSERVICEDESC::$SERVICEDESC$\\tSERVICESTATEID::$SERVICESTATEID$\\tSERVICESTATETYPE::$SERVICESTATETYPE$\\tSERVICEATTEMPT::$SERVICEATTEMPT$\\tMAXSERVICEATTEMPTS::$MAXSERVICEATTEMPTS$\\tSERVICEOUTPUT::$SERVICEOUTPUT$\\tSERVICEPERFDATA::$SERVICEPERFDATA$\\tSERVICECHECKCOMMAND::$SERVICECHECKCOMMAND$';
export const RECOMMENDED_HOST_TEMPLATE =
  'DATATYPE::HOSTPERFDATA\\tTIMET::$TIMET$\\tHOSTNAME::$HOSTNAME$\\tHOSTSTATEID::$HOSTSTATEID$\\tHOSTSTATETYPE::$HOSTSTATETYPE$\\tHOSTATTEMPT::$HOSTATTEMPT$\\tMAXHOSTATTEMPTS::$MAXHOSTATTEMPTS$\\tHOSTOUTPUT::$HOSTOUTPUT$\\tHOSTPERFDATA::$HOSTPERFDATA$\\tHOSTCHECKCOMMAND::$HOSTCHECKCOMMAND$';

const MACRO = /^\$([A-Z][A-Z0-9_]*)\$$/;
const KEYED = /^[A-Z][A-Z0-9_]*::/;

export type CompiledTemplate =
  { kind: 'positional'; layout: PerfdataFileLayout } | { kind: 'keyed' } | { kind: 'invalid'; error: string };

/**
 * Compiles a template as written in nagios.cfg (`\t` as two characters or a real tab; a trailing `\n`, as in
 * the printf commands, is ignored).
 */
export function compileTemplate(name: string, template: string): CompiledTemplate {
  const text = template.replace(/(?:\\n|\n|\\r|\r)+$/, '');
  const parts = text.split(/\\t|\t/);
  if (parts.every((part) => KEYED.test(part))) {
    return parts[0]?.startsWith('DATATYPE::')
      ? { kind: 'keyed' }
      : { kind: 'invalid', error: `${name}: a keyed template must start with DATATYPE::` };
  }
  const columns: LayoutColumn[] = [];
  let object: 'host' | 'service' | null = null;
  for (const [i, part] of parts.entries()) {
    const m = MACRO.exec(part);
    if (m) {
      const macro = m[1] ?? '';
      columns.push({ kind: 'macro', name: macro });
      if (macro === 'SERVICEDESC') object = 'service';
    } else if (part.includes('$')) {
      return { kind: 'invalid', error: `${name}: column ${i + 1} mixes text and macros: ${part}` };
    } else {
      columns.push({ kind: 'literal', text: part });
    }
  }
  const macros = columns.flatMap((c) => (c.kind === 'macro' ? [c.name] : []));
  if (!macros.includes('HOSTNAME')) return { kind: 'invalid', error: `${name}: no $HOSTNAME$ column` };
  object ??= 'host';
  return { kind: 'positional', layout: { name, object, columns } };
}

function builtIn(name: string, template: string): PerfdataFileLayout {
  const compiled = compileTemplate(name, template);
  if (compiled.kind !== 'positional') throw new Error(`built-in template ${name} does not compile`);
  return compiled.layout;
}

/** Tried in this order after any configured templates: tagged defaults first, then the printf formats. */
export const BUILT_IN_LAYOUTS: readonly PerfdataFileLayout[] = [
  builtIn('default-service', DEFAULT_SERVICE_TEMPLATE),
  builtIn('default-host', DEFAULT_HOST_TEMPLATE),
  builtIn('process-service-perfdata', PROCESS_SERVICE_PERFDATA_FORMAT),
  builtIn('process-host-perfdata', PROCESS_HOST_PERFDATA_FORMAT),
];

/**
 * Picks the layout of a line split on tabs. Literal columns must match, and a layout with a matching literal
 * (a tag such as `[SERVICEPERFDATA]`) beats one without. Then an exact column count wins; else a layout with
 * an output column absorbs surplus fields into it (plugin output may contain tabs).
 */
export function matchLayout(
  fields: readonly string[],
  layouts: readonly PerfdataFileLayout[],
): { layout: PerfdataFileLayout; values: Map<string, string> } | null {
  const literalsMatch = (layout: PerfdataFileLayout): boolean =>
    layout.columns.every((c, i) => c.kind !== 'literal' || fields[i] === c.text);
  const tagged = (layout: PerfdataFileLayout): boolean => layout.columns.some((c) => c.kind === 'literal');
  const candidates = layouts.filter(literalsMatch);
  for (const group of [candidates.filter(tagged), candidates.filter((l) => !tagged(l))]) {
    const exact = group.find((l) => l.columns.length === fields.length);
    if (exact) return { layout: exact, values: assign(exact, fields, 0) };
    const wide = group.find((l) => fields.length > l.columns.length && outputColumn(l) !== -1);
    if (wide) return { layout: wide, values: assign(wide, fields, fields.length - wide.columns.length) };
  }
  return null;
}

function outputColumn(layout: PerfdataFileLayout): number {
  return layout.columns.findIndex(
    (c) => c.kind === 'macro' && (c.name === 'SERVICEOUTPUT' || c.name === 'HOSTOUTPUT'),
  );
}

function assign(layout: PerfdataFileLayout, fields: readonly string[], surplus: number): Map<string, string> {
  const values = new Map<string, string>();
  const wide = outputColumn(layout);
  let f = 0;
  layout.columns.forEach((column, i) => {
    const take = i === wide ? surplus + 1 : 1;
    const value = fields.slice(f, f + take).join('\t');
    f += take;
    if (column.kind === 'macro') values.set(column.name, value);
  });
  return values;
}
