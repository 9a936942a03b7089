/**
 * Minimal subsets of SchemaStore's github-workflow.json and github-action.json: no npm package
 * ships those JSON schemas (the @schemastore packages carry TypeScript types only) and tests run
 * offline. They cover the top-level keys, triggers, permissions, jobs, steps and action metadata.
 */
const permissionLevel = { enum: ['read', 'write', 'none'] };
const permissions = {
  oneOf: [
    { enum: ['read-all', 'write-all'] },
    {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(
        [
          'actions',
          'attestations',
          'checks',
          'contents',
          'deployments',
          'discussions',
          'id-token',
          'issues',
          'packages',
          'pages',
          'pull-requests',
          'repository-projects',
          'security-events',
          'statuses',
        ].map((k) => [k, permissionLevel]),
      ),
    },
  ],
};
const stringMap = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } };
const step = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' },
    if: { type: ['string', 'boolean'] },
    name: { type: 'string' },
    uses: { type: 'string', pattern: '^(\\./.+|docker://.+|[^/@\\s]+/[^@\\s]+@[^\\s]+)$' },
    run: { type: 'string' },
    shell: { type: 'string' },
    with: stringMap,
    env: stringMap,
    'working-directory': { type: 'string' },
    'continue-on-error': { type: ['boolean', 'string'] },
    'timeout-minutes': { type: ['number', 'string'] },
  },
  oneOf: [{ required: ['uses'] }, { required: ['run'] }],
};
const concurrency = {
  oneOf: [
    { type: 'string' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['group'],
      properties: { group: { type: 'string' }, 'cancel-in-progress': { type: ['boolean', 'string'] } },
    },
  ],
};
const workflowInput = {
  type: 'object',
  additionalProperties: false,
  properties: {
    description: { type: 'string' },
    required: { type: 'boolean' },
    default: {},
    type: { enum: ['string', 'boolean', 'number', 'choice', 'environment'] },
    options: { type: 'array', items: { type: 'string' } },
  },
};
const pathFilters = { type: 'array', items: { type: 'string' }, minItems: 1 };
const branchTrigger = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    branches: pathFilters,
    'branches-ignore': pathFilters,
    tags: pathFilters,
    paths: pathFilters,
    'paths-ignore': pathFilters,
    types: { type: 'array', items: { type: 'string' } },
  },
};

export const workflowSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['on', 'jobs'],
  properties: {
    name: { type: 'string' },
    'run-name': { type: 'string' },
    on: {
      type: 'object',
      minProperties: 1,
      additionalProperties: false,
      properties: {
        push: branchTrigger,
        pull_request: branchTrigger,
        pull_request_target: branchTrigger,
        schedule: {
          type: 'array',
          minItems: 1,
          items: { type: 'object', additionalProperties: false, required: ['cron'], properties: { cron: { type: 'string' } } },
        },
        workflow_dispatch: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { inputs: { type: 'object', additionalProperties: workflowInput } },
        },
      },
    },
    permissions,
    env: stringMap,
    concurrency,
    defaults: { type: 'object' },
    jobs: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['runs-on', 'steps'],
        properties: {
          name: { type: 'string' },
          'runs-on': { type: ['string', 'array'] },
          permissions,
          needs: { type: ['string', 'array'] },
          if: { type: ['string', 'boolean'] },
          env: stringMap,
          concurrency,
          outputs: stringMap,
          'timeout-minutes': { type: ['number', 'string'] },
          environment: { type: ['string', 'object'] },
          strategy: { type: 'object' },
          steps: { type: 'array', minItems: 1, items: step },
        },
      },
    },
  },
};

export const actionSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'runs'],
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    author: { type: 'string' },
    branding: {
      type: 'object',
      additionalProperties: false,
      properties: { icon: { type: 'string' }, color: { enum: ['white', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'] } },
    },
    inputs: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['description'],
        properties: { description: { type: 'string' }, required: { type: 'boolean' }, default: { type: 'string' }, deprecationMessage: { type: 'string' } },
      },
    },
    outputs: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['description'],
        properties: { description: { type: 'string' }, value: { type: 'string' } },
      },
    },
    runs: {
      type: 'object',
      required: ['using', 'steps'],
      additionalProperties: false,
      properties: {
        using: { const: 'composite' },
        steps: {
          type: 'array',
          minItems: 1,
          items: { ...step, properties: { ...step.properties }, allOf: [{ if: { required: ['run'] }, then: { required: ['shell'] } }] },
        },
      },
    },
  },
};

/** The parts of a GitHub Actions workflow file the workflow tests read. */
export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
export interface WorkflowJob {
  permissions: Record<string, string>;
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string; url?: string };
  steps: WorkflowStep[];
}
export interface WorkflowFile {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  env?: Record<string, string>;
  jobs: Record<string, WorkflowJob>;
}
