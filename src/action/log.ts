import * as core from './runner.ts';
import type { Logger } from '../core/log.ts';
import { renderOptionRefs } from '../core/option-ref.ts';

export interface ActionLogger extends Logger {
  /** Ends the open group, if any, so a failure is never folded away inside one. */
  closeGroup(): void;
}

/**
 * The engine's Logger on the runner's workflow commands. Groups do not nest on the runner, so
 * a new phase ends the open one.
 */
export function createActionLogger(): ActionLogger {
  let open = false;
  const closeGroup = () => {
    if (open) core.endGroup();
    open = false;
  };
  return {
    info: (m) => core.info(renderOptionRefs(m)),
    warn: (m) => core.warning(renderOptionRefs(m)),
    error: (m) => core.error(renderOptionRefs(m)),
    debug: (m) => core.debug(renderOptionRefs(m)),
    startGroup(title) {
      closeGroup();
      core.startGroup(title);
      open = true;
    },
    endGroup: closeGroup,
    closeGroup,
  };
}
