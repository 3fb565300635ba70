/** The CA's instructions as stored on a generation (`ValidationInstructions`). */
export type ValidationInstructionsLike =
  | { method: 'email'; approverEmail?: string }
  | { method: 'http'; path: string; content: string; hosts: readonly string[] }
  | { method: 'dns'; value: string; names: readonly string[] }
  | { method: string };

/** The `validation` variable of a template from the CA's instructions (docs/notifications.md). */
export function validationVariables(
  instructions: ValidationInstructionsLike | null,
): Record<string, unknown> {
  const v: Record<string, unknown> = {
    method: null,
    approverEmail: null,
    httpPath: null,
    httpContent: null,
    httpHosts: [],
    dnsNames: [],
    dnsValue: null,
  };
  if (!instructions) return v;
  if (instructions.method === 'email' && 'approverEmail' in instructions) {
    return { ...v, method: 'email', approverEmail: instructions.approverEmail ?? null };
  }
  if (instructions.method === 'email') return { ...v, method: 'email' };
  if (instructions.method === 'http' && 'path' in instructions) {
    return {
      ...v,
      method: 'http',
      httpPath: instructions.path,
      httpContent: instructions.content,
      httpHosts: [...instructions.hosts],
    };
  }
  if (instructions.method === 'dns' && 'value' in instructions) {
    return { ...v, method: 'dns', dnsNames: [...instructions.names], dnsValue: instructions.value };
  }
  return v;
}
