/** What an option's parser says about a raw value: the typed value, or why it is refused. */
export type ParseOutcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/**
 * One known option of etc/certbill.conf: how to read it, its default and what is allowed.
 * `problem` texts continue the sentence "<Name> <value> …", so an error reads
 * `SSLSubscriptionBefore 300 is out of range: allowed 1..200 days`.
 */
export interface OptionSpec<T> {
  /** The name as written in the file, case-sensitive (`SSLSubscriptionBefore`). */
  readonly name: string;
  readonly description: string;
  /** What is allowed, for people: `1..200 days`, `auto, manual or none`. */
  readonly allowed: string;
  readonly defaultValue: T | ((ctx: DefaultContext) => T);
  /** A flag may be written without a value: `Option MaintenanceMode` means on. */
  readonly flag: boolean;
  /** Values are masked in `config show` and in error messages. */
  readonly secret: boolean;
  parse(raw: string): ParseOutcome<T>;
  format(value: T): string;
}

export interface DefaultContext {
  readonly etcDir: string;
}

export type OptionValue<S> = S extends OptionSpec<infer T> ? T : never;

const ok = <T>(value: T): ParseOutcome<T> => ({ ok: true, value });
const refuse = <T>(problem: string): ParseOutcome<T> => ({ ok: false, problem });

interface Common<D> {
  readonly name: string;
  readonly description: string;
  readonly defaultValue: D | ((ctx: DefaultContext) => D);
  readonly secret?: boolean;
}

export function integerOption<D extends number | undefined>(
  o: Common<D> & { readonly min: number; readonly max?: number; readonly unit?: string },
): OptionSpec<number | D> {
  const unit = o.unit ? ` ${o.unit}` : '';
  const allowed = o.max === undefined ? `${o.min} or more${unit}` : `${o.min}..${o.max}${unit}`;
  return {
    name: o.name,
    description: o.description,
    allowed,
    defaultValue: o.defaultValue,
    flag: false,
    secret: false,
    parse(raw) {
      if (!/^[+-]?\d{1,15}$/.test(raw)) return refuse(`is not a whole number: allowed ${allowed}`);
      const n = Number(raw);
      if (n < o.min || (o.max !== undefined && n > o.max))
        return refuse(`is out of range: allowed ${allowed}`);
      return ok(n);
    },
    format: (v) => (v === undefined ? '' : String(v)),
  };
}

export function choiceOption<const V extends readonly string[]>(
  o: Common<V[number]> & { readonly values: V },
): OptionSpec<V[number]> {
  const allowed = listOr(o.values);
  return {
    name: o.name,
    description: o.description,
    allowed,
    defaultValue: o.defaultValue,
    flag: false,
    secret: false,
    parse: (raw) =>
      o.values.includes(raw) ? ok(raw as V[number]) : refuse(`is not allowed: use ${allowed}`),
    format: (v) => v,
  };
}

const TRUE_WORDS = ['on', 'yes', 'true', '1'];
const FALSE_WORDS = ['off', 'no', 'false', '0'];

export function flagOption(o: Common<boolean>): OptionSpec<boolean> {
  return {
    name: o.name,
    description: o.description,
    allowed: 'on or off',
    defaultValue: o.defaultValue,
    flag: true,
    secret: false,
    parse(raw) {
      const word = raw.toLowerCase();
      if (TRUE_WORDS.includes(word)) return ok(true);
      if (FALSE_WORDS.includes(word)) return ok(false);
      return refuse('is not allowed: use on or off (yes/no, true/false and 1/0 also work)');
    },
    format: (v) => (v ? 'on' : 'off'),
  };
}

/** A string option; `check` returns the problem for a refused value, or undefined. */
export function textOption<D extends string | undefined>(
  o: Common<D> & { readonly allowed: string; readonly check: (raw: string) => string | undefined },
): OptionSpec<string | D> {
  return {
    name: o.name,
    description: o.description,
    allowed: o.allowed,
    defaultValue: o.defaultValue,
    flag: false,
    secret: o.secret ?? false,
    parse(raw) {
      const problem = o.check(raw);
      return problem === undefined ? ok(raw) : refuse(problem);
    },
    format: (v) => v ?? '',
  };
}

/** `auto, manual or none` */
export function listOr(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}
