// A feature handler that throws must cost one request, never the server: every handler the
// features register goes through `containHandlers`, which catches what it throws (or the
// promise it returns rejects with), logs it with its stack on the client's output channel and
// answers the request with an InternalError response. A ResponseError a handler throws on
// purpose (a refused rename, a cancellation) is its answer, and passes through untouched. vscode-jsonrpc would also turn a throw into an error response,
// but silently: nothing in the log says which handler failed, or where.
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';

type Log = (message: string) => void;

/** The text of anything thrown, with its stack when it has one. */
export function thrownText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
}


/** `handler`, but what it throws is logged and becomes an error response. */
export function containHandler<F extends (...args: never[]) => unknown>(name: string, handler: F, log: Log): F {
  const fail = (e: unknown): never => {
    // An error response the handler chose (a refused rename, a cancellation) is its answer.
    if (e instanceof ResponseError) throw e;
    log(`${name} failed: ${thrownText(e)}`);
    throw new ResponseError(ErrorCodes.InternalError, `dtrace-language-server: ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
  };
  const wrapped = (...args: never[]): unknown => {
    let result: unknown;
    try {
      result = handler(...args);
    } catch (e) {
      return fail(e);
    }
    if (result instanceof Promise) return result.catch(fail);
    return result;
  };
  return wrapped as F;
}

/**
 * The connection as features see it: every `on...` registration (on the connection itself and
 * on its `languages`, `workspace`, `window` ... sections, at any depth) wraps the handler it is
 * given in `containHandler`. Everything else is the connection's own.
 */
export function containHandlers(connection: Connection, log: Log): Connection {
  const wrap = <T extends object>(target: T, path: string): T =>
    new Proxy(target, {
      get(obj, key, receiver) {
        const value: unknown = Reflect.get(obj, key, receiver);
        if (typeof key !== 'string') return value;
        if (typeof value === 'function') {
          if (!/^on[A-Z]?/.test(key)) return (value as (...a: unknown[]) => unknown).bind(obj);
          const name = `${path}${key === 'on' ? '' : `.${key}`}`;
          return (...args: unknown[]) => {
            // onRequest(method, handler) / onNotification(method, handler): the handler is the last function.
            let at = args.length - 1;
            while (at >= 0 && typeof args[at] !== 'function') at--;
            if (at >= 0) {
              const label = typeof args[0] === 'string' ? `${name}(${args[0]})` : name;
              args[at] = containHandler(label, args[at] as (...a: never[]) => unknown, log);
            }
            return (value as (...a: unknown[]) => unknown).apply(obj, args);
          };
        }
        if (value !== null && typeof value === 'object' && path.split('.').length < 3) return wrap(value as object, `${path}.${key}`);
        return value;
      },
    });
  return wrap(connection, 'connection');
}
