import type { GuardrailRule, Violation } from '../rule';

const EXACT_VERSION = /^\d+\.\d+\.\d+$/;
/** namespace/name/provider, optionally behind a registry host. */
const REGISTRY_SOURCE =
  /^([a-z0-9.-]+\.[a-z]{2,}\/)?[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+$/;

export const modulePinnedRule: GuardrailRule = {
  id: 'GR-MODULE-PINNED',
  description: 'Every registry module is pinned to an exact version (x.y.z, no ranges)',
  fix: 'set version to the exact release you tested, e.g. "5.15.4" (pin it in the module binding in .gen/modules)',
  check(document) {
    const out: Violation[] = [];
    for (const m of document.modules()) {
      const source = m.type;
      if (source.startsWith('./') || source.startsWith('../')) continue; // local: versioned with us
      if (REGISTRY_SOURCE.test(source)) {
        const version = m.body.version;
        if (typeof version !== 'string' || !EXACT_VERSION.test(version.trim())) {
          out.push({
            element: m,
            problem: `${source} has version ${JSON.stringify(version ?? null)}, not an exact x.y.z`,
          });
        }
      } else if (!/[?&]ref=[^&]+/.test(source)) {
        out.push({
          element: m,
          problem: `${source} is a remote source without ?ref=<tag or commit>`,
          fix: 'pin the source with ?ref=<tag or commit sha>, or use the registry with an exact version',
        });
      }
    }
    return out;
  },
};
