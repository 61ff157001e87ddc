// npm run -s token -- --province 92 --role official --agency 000.00.01.H13 [--role province_admin] [--sub <uuid>] [--ttl 8h]
// npm run -s token -- --province 92 --role citizen --vneid   (a citizen signed in through VNeID: amr ["vneid"])
// Prints a development bearer token on stdout (its claims on stderr). Never in production.
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { buildDevTokenClaims, DevTokenError, refuseInProduction, resolveProvince, signDevToken } from '../src/context/dev-token';
import { VNEID_METHOD } from '../src/context/token';
import { loadAllManifests } from '../src/modules/tenancy/manifest';

const USAGE =
  'Usage: npm run -s token -- --role <kind|back-office role>... [--province <code|slug|uuid>] [--agency <code>] [--sub <id>] [--amr <method>]... [--vneid] [--ttl 8h]\n' +
  '  --vneid: signed in through VNeID (same as --amr vneid); a citizen filing online then has a verified identity\n' +
  '  kinds: citizen, official, ministry, platform_admin; back-office roles (officials): receiving_clerk, handler, leader, document_clerk, province_admin';

async function main() {
  const { values } = parseArgs({
    options: {
      province: { type: 'string' },
      role: { type: 'string', multiple: true },
      agency: { type: 'string' },
      sub: { type: 'string' },
      amr: { type: 'string', multiple: true },
      vneid: { type: 'boolean' },
      ttl: { type: 'string', default: '8h' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const province = values.province === undefined ? undefined : resolveProvince(loadAllManifests(), values.province);
  const amr = [...(values.amr ?? []), ...(values.vneid ? [VNEID_METHOD] : [])];
  const claims = buildDevTokenClaims({ province, roles: values.role ?? [], agency: values.agency, sub: values.sub, amr: amr.length ? amr : undefined });
  const token = await signDevToken(claims, loadConfig(), values.ttl);
  console.error(`claims: ${JSON.stringify(claims)} (expires in ${values.ttl})`);
  console.log(token);
}

try {
  refuseInProduction(process.env.NODE_ENV);
} catch (error) {
  console.error(`token: ${(error as Error).message}`);
  process.exit(1);
}

main().catch((error) => {
  // parseArgs reports unknown or malformed options with a TypeError carrying a code.
  const known = error instanceof DevTokenError || (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS');
  console.error(`token: ${error instanceof Error ? error.message : String(error)}`);
  if (known) console.error(USAGE);
  process.exit(1);
});
