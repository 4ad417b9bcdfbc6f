import { hash, verify } from '@node-rs/argon2';
import { ValidationError } from '../../errors.ts';

/**
 * Argon2id with the library's defaults, which are OWASP's recommended minimum: 19 MiB of memory,
 * 2 passes, 1 lane. A test pins the `$argon2id$` prefix so a library change cannot weaken it.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

/**
 * The hash of a random password nobody knows, made with the parameters hashPassword uses (a test
 * pins both): verifying against it costs what a real check costs, from the first attempt on.
 */
export const decoyHash =
  '$argon2id$v=19$m=19456,t=2,p=1$8nXwF1oUiCQExFNTWAdEzg$WS8ezhsnaUuDZ89+HlLPk/abSlGLJnrT9CVDn48EQDk';

/** Spends the time of a real check, so that an unknown e-mail answers as slowly as a known one. */
export async function verifyDecoy(password: string): Promise<false> {
  await verify(decoyHash, password).catch(() => false);
  return false;
}

type Zxcvbn = {
  check(password: string, userInputs?: string[]): ZxcvbnResult | Promise<ZxcvbnResult>;
};
type ZxcvbnResult = { score: number; feedback: { warning: string | null } };

let strengthChecker: Promise<Zxcvbn> | undefined;

/** The common-password dictionary is large: load it on the first password set, not at start. */
function loadStrengthChecker(): Promise<Zxcvbn> {
  strengthChecker ??= (async () => {
    const [{ ZxcvbnFactory }, common] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary },
      graphs: common.adjacencyGraphs,
    }) satisfies Zxcvbn;
  })();
  return strengthChecker;
}

const warnings: Record<string, string> = {
  similarToCommon: 'is too close to a commonly used password',
  commonPasswords: 'is a commonly used password',
  topTen: 'is one of the most used passwords',
  topHundred: 'is one of the most used passwords',
  userInputs: 'contains your e-mail address or name',
};

/**
 * Refuses a password shorter than 12 characters, one on the common-password list or close to
 * it (a word from the list with digits added), or one built from the person's own name or
 * e-mail address.
 */
export async function assertPasswordAcceptable(
  password: string,
  field: string,
  personal: string[] = [],
): Promise<void> {
  if (password.length < 12) throw ValidationError.field(field, 'must be at least 12 characters');
  const checker = await loadStrengthChecker();
  const userInputs = personal.flatMap((value) => value.toLowerCase().split(/[@.\s_-]+/));
  const result = await checker.check(
    password,
    userInputs.filter((part) => part.length >= 3),
  );
  if (result.score < 3) {
    const reason = (result.feedback.warning && warnings[result.feedback.warning]) || null;
    throw ValidationError.field(
      field,
      `${reason ?? 'is too easy to guess'}: use a longer phrase of several unrelated words`,
    );
  }
}
