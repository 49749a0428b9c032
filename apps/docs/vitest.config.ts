import { packageProject } from "@x/vitest-config";

// Unit tests of the demos' training code (lib/); the pages themselves are checked by e2e/.
export default packageProject("docs");
