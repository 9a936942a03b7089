import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import type { TestProject } from 'vitest/node';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export interface RegistryInfo {
  available: boolean;
  reason: string;
  /** "127.0.0.1:PORT" of a registry without auth. */
  open: string;
  /** "127.0.0.1:PORT" of a second registry without auth, for publishing to several registries at once. */
  mirror: string;
  /** "127.0.0.1:PORT" of a registry with htpasswd Basic auth. */
  basic: string;
  username: string;
  password: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    registry: RegistryInfo;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface Running {
  address: string;
  stop: () => Promise<void>;
}

async function startRegistry(dir: string, htpasswd: string | null): Promise<Running> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const auth = htpasswd ? `auth:\n  htpasswd:\n    realm: test\n    path: ${htpasswd}\n` : '';
  const config = join(dir, 'config.yml');
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${address}\n${auth}`,
  );
  const child: ChildProcess = spawn(REGISTRY_BINARY, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
    const status = await fetch(`http://${address}/v2/`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200 || status === 401) break;
    if (Date.now() > deadline) throw new Error(`docker-registry did not start on ${address}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    address,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Starts one registry without auth and one with htpasswd Basic auth, on free loopback ports. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const username = 'publisher';
  const password = `pw-${Math.random().toString(36).slice(2)}-secret`;
  const unavailable: RegistryInfo = { available: false, reason: '', open: '', mirror: '', basic: '', username, password };
  if (!existsSync(REGISTRY_BINARY)) {
    if (process.env.CI === 'true') throw new Error(`${REGISTRY_BINARY} is missing: install docker-registry (see .ci/run)`);
    project.provide('registry', { ...unavailable, reason: `${REGISTRY_BINARY} not installed; registry tests skipped` });
    return async () => undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), 'fg-registry-'));
  const htpasswd = join(dir, 'htpasswd');
  await writeFile(htpasswd, `${username}:${bcrypt.hashSync(password, 10)}\n`);
  const openDir = await mkdtemp(join(dir, 'open-'));
  const basicDir = await mkdtemp(join(dir, 'basic-'));
  const mirrorDir = await mkdtemp(join(dir, 'mirror-'));
  const [open, mirror, basic] = await Promise.all([startRegistry(openDir, null), startRegistry(mirrorDir, null), startRegistry(basicDir, htpasswd)]);
  project.provide('registry', { available: true, reason: '', open: open.address, mirror: mirror.address, basic: basic.address, username, password });
  return async () => {
    await Promise.all([open.stop(), mirror.stop(), basic.stop()]);
    await rm(dir, { recursive: true, force: true });
  };
}
