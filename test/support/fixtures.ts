// Facts about the seeded demo provinces, read from their manifests rather than repeated here.
import { loadAllManifests } from '../../src/modules/tenancy/manifest';

export function province(slug: string) {
  const manifest = loadAllManifests().find((candidate) => candidate.slug === slug);
  if (!manifest) throw new Error(`no manifest for ${slug}`);
  return manifest;
}

let counter = 0;
/** A unique, valid official e-mail for rows a test creates. */
export const uniqueEmail = (prefix: string, domain: string) => `${prefix}.${Date.now().toString(36)}${(counter++).toString(36)}@${domain}`;
