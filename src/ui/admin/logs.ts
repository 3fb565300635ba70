import { LOG_LEVELS } from '../../core/logs/module-logger.ts';
import {
  DEFAULT_LOG_TAIL_BYTES,
  listLogModules,
  logLevelNamed,
  readLogTail,
} from '../../core/logs/read-log-tail.ts';
import type { PanelPage } from '../page.ts';
import { render } from '../render.ts';

/** The level filter's choices: each keeps its level and the more severe ones. */
const LEVEL_CHOICES = Object.entries(LOG_LEVELS).map(([name, n]) => ({
  value: name,
  label: `${name} (${n}) and more severe`,
}));

/**
 * Logs (`/admin/logs`): the end of one module log (certbill.log, pmglobalsign.log, …; the last
 * 256 KB, never the whole file), newest last, with a module selector and a level filter. The
 * lines were redacted when written.
 */
export const logPages: PanelPage = (scope, ctx) => {
  scope.get<{ Querystring: { module?: string; level?: string } }>('/logs', async (req, reply) => {
    const dir = ctx.config.logDir;
    const modules = await listLogModules(dir);
    const wanted = req.query.module;
    const module =
      wanted && modules.includes(wanted)
        ? wanted
        : modules.includes('certbill')
          ? 'certbill'
          : (modules[0] ?? null);
    const level = logLevelNamed(req.query.level);
    const tail = module
      ? await readLogTail(dir, module, { maxBytes: DEFAULT_LOG_TAIL_BYTES, ...(level ? { level } : {}) })
      : null;
    return render(
      reply,
      'admin/logs',
      {
        modules,
        module,
        level: level ?? '',
        levels: LEVEL_CHOICES,
        tail,
        unknownModule: wanted !== undefined && wanted !== '' && wanted !== module ? wanted : null,
        tailKb: DEFAULT_LOG_TAIL_BYTES / 1024,
        sizeKb: tail ? Math.ceil(tail.size / 1024) : 0,
      },
      { title: 'Logs' },
    );
  });
};
