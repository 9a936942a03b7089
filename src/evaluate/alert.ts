/**
 * A recorded Falco alert, as Falco's JSON output and falcosidekick write it (one JSON object per
 * line: rule, priority, output, output_fields, tags, time, source, hostname).
 */
import type { FalcoEvent, FieldValue, Scalar } from './event.js';

export interface FalcoAlert {
  rule: string;
  priority: string;
  output: string;
  source: string;
  time: string;
  tags: string[];
  hostname: string;
  /** output_fields as an event: `<NA>` and null become null (Falco extracted nothing). */
  fields: FalcoEvent;
}

export type AlertParse = { ok: true; alert: FalcoAlert } | { ok: false; message: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toFieldValue(v: unknown): FieldValue | undefined {
  if (v === null || v === '<NA>') return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v) && v.every((x): x is Scalar => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) return v;
  return undefined;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function parseAlertLine(line: string): AlertParse {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (err) {
    return { ok: false, message: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!isRecord(data)) return { ok: false, message: 'not a JSON object' };
  if (typeof data.rule !== 'string' || data.rule === '') return { ok: false, message: "no 'rule' name" };
  const fields: Record<string, FieldValue> = {};
  if (isRecord(data.output_fields)) {
    for (const [k, v] of Object.entries(data.output_fields)) {
      const value = toFieldValue(v);
      if (value !== undefined) fields[k] = value;
    }
  }
  return {
    ok: true,
    alert: {
      rule: data.rule,
      priority: text(data.priority),
      output: text(data.output),
      source: text(data.source) || 'syscall',
      time: text(data.time),
      tags: Array.isArray(data.tags) ? data.tags.filter((t): t is string => typeof t === 'string') : [],
      hostname: text(data.hostname),
      fields,
    },
  };
}
