import { defineCheck } from '../define-check.js';

export const unusedMacro = defineCheck({
  id: 'unused-macro',
  severity: 'warning',
  summary: 'Every macro is used by a rule or another macro',
  rationale:
    "A macro no rule refers to does nothing, yet readers assume it takes effect: a typo in a user_known_* name, or a rule renamed upstream, leaves a tuning macro that silently stopped applying. Falco warns about it (LOAD_UNUSED_MACRO). Upstream macros are not reported in environments; they are upstream's to keep.",
  hint: 'delete the macro, or fix the name of the macro the rule refers to',
  messages: {
    unused: 'macro "{name}" is not used by any rule or macro',
  },
  visit: {
    macro(macro, ctx) {
      if (macro.used || ctx.isUpstream(macro.entry.loc.file)) return;
      ctx.report({ itemType: 'macro', itemName: macro.name }, 'unused', { name: macro.name }, macro.entry.loc);
    },
  },
});
