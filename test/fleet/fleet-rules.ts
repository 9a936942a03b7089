/** The organisation rules the fleet tests layer their clusters over: an allowed-hosts list and the rule that uses it. */
export const ALLOWED_HOSTS_RULES = `- list: allowed_hosts
  items: [pkg.example.org]
- rule: Outbound to unexpected host
  desc: a process connected to a host outside the allow-list
  condition: evt.type = connect and not fd.sip.name in (allowed_hosts)
  output: unexpected host %fd.sip.name
  priority: WARNING
  tags: [mitre_command_and_control]
`;

/** A cluster's own layer adding one host to the template's allowed-hosts list. */
export const allowedHost = (host: string): string => `- list: allowed_hosts\n  items: [${host}]\n  override:\n    items: append\n`;
