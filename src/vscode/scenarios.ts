/*
 * "Lockstep: Replay Scenario…": runs a built-in cross-task scenario (in the worker thread, with
 * progress) and plays its trace in the timeline with a short narration of each step.
 */
import * as vscode from 'vscode';
import { scenarioList } from '../core/sim/index';
import { narrate } from '../shared/narration';
import type { TimelineModel } from '../shared/protocol';
import type { Analyzer } from './analyzer';
import { log } from './log';
import type { TimelinePanels } from './timelinePanel';

export const REPLAY_COMMAND = 'lockstep.replayScenario';

export function knownScenarios(): string[] {
  return scenarioList().map((s) => s.name);
}

export function registerScenarios(ctx: vscode.ExtensionContext, analyzer: Analyzer, panels: TimelinePanels): void {
  ctx.subscriptions.push(
    vscode.commands.registerCommand(REPLAY_COMMAND, async (names?: string[] | string, fixedArg?: boolean) => {
      const all = scenarioList();
      const offered = typeof names === 'string' ? [names] : Array.isArray(names) && names.length ? names : all.map((s) => s.name);
      const choices = all.filter((s) => offered.includes(s.name));
      const name =
        choices.length === 1
          ? choices[0].name
          : (
              await vscode.window.showQuickPick(
                choices.map((s) => ({ label: s.name, detail: s.description })),
                { title: 'Lockstep: replay which scenario?', matchOnDetail: true },
              )
            )?.label;
      if (!name) return;
      let fixed = fixedArg;
      if (fixed === undefined) {
        const pick = await vscode.window.showQuickPick(
          [
            { label: '$(bug) As the kernel code has it', detail: 'Search the interleavings for the bug', fixed: false },
            { label: '$(check) With the fix applied', detail: 'Check that the fixed variant holds', fixed: true },
          ],
          { title: `Lockstep: ${name}` },
        );
        if (!pick) return;
        fixed = pick.fixed;
      }
      const def = all.find((s) => s.name === name);
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Lockstep: exploring ${name}${fixed ? ' (fixed)' : ''}…` },
        () => analyzer.scenario(name, { fixed, timeMs: 15000 }),
      ).then(undefined, (e: unknown) => {
        log().error(`scenario ${name}: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      });
      if (!run) return void vscode.window.showWarningMessage(`Lockstep: the scenario ${name} did not finish (see the Lockstep log).`);
      log().info(`scenario ${name}${fixed ? ' (fixed)' : ''}: ${run.result.verdict}, ${run.result.states} states in ${run.result.ms} ms`);
      if (run.trace.steps.length === 0) {
        return void vscode.window.showInformationMessage(`Lockstep: ${name}${fixed ? ' (fixed)' : ''}: ${run.trace.summary}`);
      }
      const bad = run.result.verdict === 'violation' || run.result.verdict === 'deadlock';
      const model: TimelineModel = {
        title: `Scenario ${name}${fixed ? ' (fixed)' : ''}`,
        kind: 'scenario',
        documentUri: null,
        documentName: null,
        functionName: null,
        pathId: null,
        outcome: run.result.verdict === 'holds' ? 'holds in every interleaving' : run.result.verdict,
        severity: bad ? 'error' : null,
        assumptions: [],
        narration: narrate(run.trace, def?.description ?? ''),
        trace: run.trace,
      };
      panels.show(model);
    }),
  );
}
