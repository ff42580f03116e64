// A question asked on the page itself before a write (applying a file, rolling back): the action
// runs only on Confirm.
import type { Lang } from '../i18n.ts';
import { d } from './text.ts';

export function ConfirmBar(props: {
  question: string;
  lang: Lang;
  onConfirm: () => void;
  onCancel: () => void;
  testId: string;
}) {
  return (
    <div className="confirm" role="alertdialog" aria-label={props.question} data-testid={props.testId}>
      <span>{props.question}</span>
      <button type="button" className="primary" onClick={props.onConfirm} data-testid={`${props.testId}-yes`}>
        {d('confirm', props.lang)}
      </button>
      <button type="button" onClick={props.onCancel} data-testid={`${props.testId}-no`}>
        {d('cancel', props.lang)}
      </button>
    </div>
  );
}
