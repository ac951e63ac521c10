/**
 * How a migration's active stage is selected: the stage whose objects `app.synth()` renders inside the
 * enclosing chart. Promotion is changing the selection (one reviewed commit); the GitOps writer writes
 * every stage folder whatever is selected.
 *
 * @example
 * // In the app's entry point, before any construct is added:
 * const app = new App();
 * app.node.setContext(StageSelection.contextKey('llm'), '02-shift-50');
 */
export class StageSelection {
  /**
   * The context key that selects a migration's active stage when its `activeStage` prop is not set:
   * `inference-migration:<migration name>:active-stage`, set with `node.setContext` on the App (or on any
   * construct above the migration) before the migration is added. The construct id works in place of the
   * name when the two differ.
   *
   * @param migrationName the migration's name (its folder), or its construct id
   */
  public static contextKey(migrationName: string): string {
    return `inference-migration:${migrationName}:active-stage`;
  }

  private constructor() {}
}
