import { join } from 'node:path';
import type { Command } from 'commander';
import { SecretSet, resolveCredential, type Credential } from '../oci/index.js';
import { usageError, type Outcome } from './exit.js';
import type { CliIO } from './io.js';

/** The credential flags shared by every command that talks to a registry. */
export interface CredentialFlags {
  username?: string;
  passwordStdin?: boolean;
}

/** Registry credentials of one command run: the secrets to redact, and a per-host lookup (cached). */
export interface RegistryCredentials {
  secrets: SecretSet;
  /** Credential sources in order: --username/--password-stdin, environment, Docker config; null is anonymous. */
  forRegistry: (registry: string) => Promise<Credential | null>;
}

export function addCredentialOptions(command: Command): Command {
  return command
    .option('--username <user>', 'registry user name (with --password-stdin)')
    .option('--password-stdin', 'read the registry password or token from standard input');
}

/** Reads `--password-stdin` (once) and prepares the credential lookup; a usage error for half-given flags. */
export async function openRegistryCredentials(
  flags: CredentialFlags,
  io: CliIO,
): Promise<{ ok: true; value: RegistryCredentials } | { ok: false; outcome: Outcome }> {
  if (flags.username && !flags.passwordStdin) return { ok: false, outcome: usageError('--username needs --password-stdin') };
  let explicit: Credential | null = null;
  if (flags.passwordStdin) {
    if (!flags.username) return { ok: false, outcome: usageError('--password-stdin needs --username') };
    const password = (await io.readStdin()).replace(/\r?\n$/, '');
    if (!password) return { ok: false, outcome: usageError('--password-stdin read an empty password') };
    explicit = { username: flags.username, password };
  }
  const secrets = new SecretSet();
  if (explicit) secrets.addCredentials(explicit.username, explicit.password);
  const dockerConfig = dockerConfigPath(io.env);
  const cache = new Map<string, Credential | null>();
  const forRegistry = async (registry: string): Promise<Credential | null> => {
    if (!cache.has(registry)) {
      const { credential } = await resolveCredential(registry, { explicit, env: io.env, dockerConfigPath: dockerConfig });
      if (credential) secrets.addCredentials(credential.username, credential.password);
      cache.set(registry, credential);
    }
    return cache.get(registry) ?? null;
  };
  return { ok: true, value: { secrets, forRegistry } };
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(env: NodeJS.ProcessEnv): string | null {
  if (env.DOCKER_CONFIG) return join(env.DOCKER_CONFIG, 'config.json');
  return env.HOME ? join(env.HOME, '.docker', 'config.json') : null;
}
