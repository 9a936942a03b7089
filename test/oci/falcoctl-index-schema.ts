import { Ajv } from 'ajv';

/**
 * The shape falcoctl's Entry (pkg/index/index) reads with yaml.v3: the four mandatory strings,
 * an optional signature.cosign block with the cosign keyless flags, and the optional metadata.
 */
const FALCOCTL_INDEX_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'type', 'registry', 'repository'],
    properties: {
      name: { type: 'string', minLength: 1 },
      type: { enum: ['rulesfile', 'plugin', 'asset'] },
      registry: { type: 'string', minLength: 1 },
      repository: { type: 'string', minLength: 1 },
      signature: {
        type: 'object',
        additionalProperties: false,
        properties: {
          cosign: {
            type: 'object',
            additionalProperties: false,
            properties: {
              'certificate-oidc-issuer': { type: 'string' },
              'certificate-oidc-issuer-regexp': { type: 'string' },
              'certificate-identity': { type: 'string' },
              'certificate-identity-regexp': { type: 'string' },
              'certificate-github-workflow': { type: 'string' },
            },
          },
        },
      },
      description: { type: 'string' },
      home: { type: 'string' },
      keywords: { type: 'array', items: { type: 'string' } },
      license: { type: 'string' },
      maintainers: {
        type: 'array',
        items: { type: 'object', additionalProperties: false, properties: { email: { type: 'string' }, name: { type: 'string' } } },
      },
      sources: { type: 'array', items: { type: 'string' } },
    },
  },
} as const;

/** A validator for a parsed index file against falcoctl's Entry shape. */
export function falcoctlIndexValidator() {
  return new Ajv({ allErrors: true }).compile(FALCOCTL_INDEX_SCHEMA);
}
