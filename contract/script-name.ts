// A script's meta.name as ids and file names use it. Claude Code runs any name
// (`thermo_quality_review`, `Bad_Name`); Baton runs it too and derives a kebab-case slug for
// workflow ids and saved-workflow names, which must be typeable and match a file stem.

/** Kebab-case: lowercase letters, digits and dashes, starting with a letter or digit. */
export const KEBAB_CASE = /^[a-z0-9][a-z0-9-]*$/;

export function isKebabCase(name: string): boolean {
  return KEBAB_CASE.test(name);
}

/** `thermo_quality_review` → `thermo-quality-review`; a name with no letter or digit → `workflow`. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'workflow';
}
