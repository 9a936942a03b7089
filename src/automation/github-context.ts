/** What a GitHub Actions run tells a step through its environment and event payload; values passed in, never read from `process.env` here. */
import { readFile } from 'node:fs/promises';

export interface GitHubContext {
  /** `GITHUB_ACTIONS=true`. */
  actions: boolean;
  stepSummaryPath: string | null;
  outputPath: string | null;
  eventPath: string | null;
  eventName: string | null;
  /** "owner/name". */
  repository: string | null;
  serverUrl: string;
  apiUrl: string;
  sha: string | null;
}

export function readGitHubContext(env: Readonly<Record<string, string | undefined>>): GitHubContext {
  const value = (name: string) => (env[name] === undefined || env[name] === '' ? null : env[name]);
  return {
    actions: env.GITHUB_ACTIONS === 'true',
    stepSummaryPath: value('GITHUB_STEP_SUMMARY'),
    outputPath: value('GITHUB_OUTPUT'),
    eventPath: value('GITHUB_EVENT_PATH'),
    eventName: value('GITHUB_EVENT_NAME'),
    repository: value('GITHUB_REPOSITORY'),
    serverUrl: value('GITHUB_SERVER_URL') ?? 'https://github.com',
    apiUrl: value('GITHUB_API_URL') ?? 'https://api.github.com',
    sha: value('GITHUB_SHA'),
  };
}

/** The parts of a `pull_request` event payload the checks use. */
export interface PullRequestInfo {
  number: number;
  baseRef: string;
  baseSha: string;
  headSha: string;
}

export type EventRead = { ok: true; pullRequest: PullRequestInfo | null } | { ok: false; message: string };

/** Reads the event payload file; a payload without `pull_request` gives null, a malformed one an error naming the file. */
export async function readEventPayload(path: string): Promise<EventRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { ok: false, message: `cannot read the event payload ${path}: ${(err as Error).message}` };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `the event payload ${path} is not JSON: ${(err as Error).message}` };
  }
  return { ok: true, pullRequest: pullRequestOf(payload) };
}

export function pullRequestOf(payload: unknown): PullRequestInfo | null {
  const pr = field(payload, 'pull_request');
  if (pr === undefined) return null;
  const number = field(pr, 'number');
  const baseRef = field(field(pr, 'base'), 'ref');
  const baseSha = field(field(pr, 'base'), 'sha');
  const headSha = field(field(pr, 'head'), 'sha');
  if (typeof number !== 'number' || typeof baseRef !== 'string' || typeof baseSha !== 'string' || typeof headSha !== 'string') return null;
  return { number, baseRef, baseSha, headSha };
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined;
}
