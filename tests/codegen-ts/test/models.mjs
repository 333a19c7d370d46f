// The compiled fixture models (built by build.mjs into ../build) and small helpers shared by the tests.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
export const m = await import(join(buildDir, 'js/models/generated/index.js'));

// The JSON text of model `className` holding `value`, as it goes on the wire (the data part only).
export function wire(value, className) {
  return JSON.stringify(m.encodeModel(value, className).data);
}

// The decoded value of `data` as model `className`.
export function decoded(data, className) {
  const { className: got, value } = m.decodeModel({ className, data });
  if (got !== className) throw new Error(`decoded as ${got}`);
  return value;
}
