// A value computed at most once per context (the caller's own record, their agency): the context
// lives as long as one unit of work, so the value is never stale and never shared between callers.
import type { Context } from '../context/context';

export function oncePerContext<T>(ctx: Context, key: object, compute: () => Promise<T>): Promise<T> {
  let value = ctx.memo.get(key) as Promise<T> | undefined;
  if (!value) {
    value = compute();
    ctx.memo.set(key, value);
  }
  return value;
}
