import type { UserProjectConfigExport, UserWorkspaceConfig } from "vitest/config";
/** A vitest project for one package, reading workspace dependencies from their sources. */
export declare function packageProject(
  name: string,
  test?: UserWorkspaceConfig["test"],
): UserProjectConfigExport;
