/**
 * The answer a translation applies for one ambiguous-intent choice: the caller's answer when one
 * was given (from `--interactive` or a flag), otherwise the safe default.
 */
import type { TranslateOptions, TranslationChoice } from './types.js';

export class InvalidChoiceAnswerError extends Error {
  readonly code = 'invalid-choice-answer';

  constructor(choice: TranslationChoice, answer: string) {
    const values = choice.options.map((option) => option.value).join(', ');
    super(`answer "${answer}" to choice "${choice.id}" is not one of: ${values}`);
    this.name = 'InvalidChoiceAnswerError';
  }
}

/** @throws InvalidChoiceAnswerError when the answer names no option (a caller bug, not user input). */
export function resolveChoice(choice: TranslationChoice, answers: TranslateOptions['answers']): string {
  const answer = Object.hasOwn(answers, choice.id) ? answers[choice.id] : undefined;
  if (answer === undefined) return choice.safeDefault;
  if (!choice.options.some((option) => option.value === answer)) throw new InvalidChoiceAnswerError(choice, answer);
  return answer;
}
