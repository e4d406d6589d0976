/**
 * Configs that need secrets: drizzle.config.ts often refuses to load without the database URL
 * (`if (!process.env.POSTGRES_URL) throw new Error(...)`), and in CI that secret is normally
 * absent. joinery reads the config statically (drizzle-config.ts), but drizzle-kit loads it, so
 * `generate`, which never connects, gets a clearly labelled placeholder for each variable the
 * config (or a project module it imports, such as a t3-env `env.js`) demands and the environment
 * lacks, and t3-env's own SKIP_ENV_VALIDATION switch where the project wires it. `migrate`
 * connects and never gets one.
 */

/** `process.env.NAME` or `process.env['NAME']`, with what follows it. */
const ENV_REFERENCE =
  /process\.env(?:\.([A-Za-z_]\w*)|\[\s*(['"])([A-Za-z_]\w*)\2\s*\])(\s*(?:\?\?|\|\||!(?!=))?)/g;

/** Names that look like a connection setting, demanded even without a check around them. */
const CREDENTIAL = /URL|URI|DSN|HOST|PORT|USER|PASSWORD|SECRET|TOKEN|DATABASE|(?:^|_)DB(?:_|$)/i;

/**
 * Variables the config cannot load without: tested for absence (`!process.env.X`), asserted
 * (`process.env.X!`) or a connection setting used without a fallback. `process.env.X ?? 'drizzle'`
 * has its own fallback and is left alone, so a placeholder never changes what the config reads.
 */
export function demandedVariables(configText: string): string[] {
  const demanded = new Set<string>();
  const withFallback = new Set<string>();
  for (const match of configText.matchAll(ENV_REFERENCE)) {
    const name = (match[1] ?? match[3])!;
    const after = match[4]!.trim();
    const negated = /!\s*$/.test(configText.slice(Math.max(0, match.index - 2), match.index));
    if (after === '??' || after === '||') withFallback.add(name);
    else if (negated || after === '!' || CREDENTIAL.test(name)) demanded.add(name);
  }
  // t3-env (create-t3-app, monorepo templates) validates every variable while the config loads,
  // unless its documented switch is set: `skipValidation: !!process.env.SKIP_ENV_VALIDATION`.
  if (/process\.env\.SKIP_ENV_VALIDATION\b/.test(configText)) demanded.add('SKIP_ENV_VALIDATION');
  return [...demanded].filter((name) => !withFallback.has(name)).sort();
}

/** A value that is plainly not a secret, shaped like what the variable holds (a URL or text). */
export function placeholderFor(name: string): string {
  if (name === 'SKIP_ENV_VALIDATION') return '1';
  return /URL|URI|DSN/i.test(name)
    ? `postgresql://joinery-placeholder:unset@joinery-placeholder.invalid:5432/${name.toLowerCase()}`
    : `joinery-placeholder-for-unset-${name}`;
}

/** Placeholders for the demanded variables that `env` lacks (unset or empty). */
export function configPlaceholders(
  configText: string,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return Object.fromEntries(
    demandedVariables(configText)
      .filter((name) => !env[name])
      .map((name) => [name, placeholderFor(name)]),
  );
}

/** What `--verbose` says about them, or '' when none was needed. */
export function placeholderNote(file: string, placeholders: Record<string, string>): string {
  const names = Object.keys(placeholders);
  if (names.length === 0) return '';
  return ` with placeholder ${names.map((name) => `${name}=${placeholders[name]}`).join(', ')} (unset; ${file} demands ${names.length === 1 ? 'it' : 'them'}, generate does not connect)`;
}
