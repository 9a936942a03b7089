/**
 * An event as the evaluator sees it: field name (with its `[arg]` when it has one, exactly as
 * Falco prints it in `output_fields`, e.g. `proc.aname[2]`) to a value or a list of values.
 *
 * - a key that is absent means the field is unknown: conditions that need it are undecided;
 * - `null` means Falco could not extract the field for this event (`<NA>`): comparisons are
 *   false and `exists` is false, as in libsinsp;
 * - an array is a multi-valued field (list fields such as `ka.req.pod.containers.image`), or,
 *   for `proc.aname` / `proc.apid` without an argument, every ancestor.
 */
export type Scalar = string | number | boolean;
export type FieldValue = Scalar | null | readonly Scalar[];
export type FalcoEvent = Readonly<Record<string, FieldValue>>;

/** The key an event uses for a field reference. */
export function fieldKey(name: string, arg?: string): string {
  return arg === undefined ? name : `${name}[${arg}]`;
}
