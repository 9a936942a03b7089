/**
 * How libs groups its PT_ parameter types (userspace/libsinsp/filter_compare.cpp). Two tables on
 * purpose: the filter compiler accepts numeric operators on fewer types (`flt_is_comparable`) than
 * the comparison itself treats as numbers (`flt_compare`, which also knows UID and GID).
 */

/** Types `flt_is_comparable` checks as numbers; any other numeric-looking type is refused. */
export const COMPILABLE_NUMERIC_TYPES: ReadonlySet<string> = new Set([
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'ERRNO',
  'FD',
  'PID',
  'SYSCALLID',
  'SIGTYPE',
  'RELTIME',
  'ABSTIME',
  'PORT',
  'FLAGS8',
  'FLAGS16',
  'FLAGS32',
  'DOUBLE',
  'MODE',
  'ENUMFLAGS8',
  'ENUMFLAGS16',
  'ENUMFLAGS32',
]);

/** Types `flt_compare` compares as numbers. */
export const COMPARED_NUMERIC_TYPES: ReadonlySet<string> = new Set([...COMPILABLE_NUMERIC_TYPES, 'UID', 'GID']);

/** Types compared as IP addresses or networks. */
export const IP_TYPES: ReadonlySet<string> = new Set(['IPV4ADDR', 'IPV4NET', 'IPV6ADDR', 'IPV6NET', 'IPADDR', 'IPNET']);
