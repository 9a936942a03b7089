import { didYouMean } from '../../../diagnostics/index.js';
import { PLUGIN_ALTERNATIVE_KEYS, PLUGIN_REQUIREMENT_KEYS } from '../../../rules/index.js';
import { defineCheck } from '../define-check.js';

export const ignoredPluginRequirementKey = defineCheck({
  id: 'ignored-plugin-requirement-key',
  severity: 'warning',
  summary: 'Every key of a required plugin version is one Falco reads',
  rationale:
    'Falco reads `name`, `version` and `alternatives` from an entry of `required_plugin_versions`, and `name` and `version` from an alternative, and ignores any other key without a word: its rules schema flags it, but a schema warning never stops a load. A misspelt `alternatives` drops every alternative, so on nodes that run one of them instead of the plugin named first, Falco finds the requirement unmet and refuses to start.',
  hint: 'rename the key to the one meant, or remove it',
  messages: {
    ignored: "required plugin version '{plugin}' has a key '{key}' that Falco ignores",
    ignoredInAlternative: "alternative '{alternative}' of required plugin version '{plugin}' has a key '{key}' that Falco ignores",
  },
  visit: {
    item(item, _file, ctx) {
      if (item.kind !== 'required_plugin_versions') return;
      for (const { plugin, alternative, key, loc } of item.ignoredKeys ?? []) {
        const ref = { itemType: 'required_plugin_versions', itemName: plugin } as const;
        const hint = didYouMean(key, alternative === undefined ? PLUGIN_REQUIREMENT_KEYS : PLUGIN_ALTERNATIVE_KEYS);
        const options = hint ? { hint } : {};
        if (alternative === undefined) ctx.report(ref, 'ignored', { plugin, key }, loc, options);
        else ctx.report(ref, 'ignoredInAlternative', { plugin, alternative, key }, loc, options);
      }
    },
  },
});
