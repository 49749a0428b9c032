import { libraryConfig } from "@x/tsup-config";
import { defineConfig } from "tsup";

export default defineConfig(libraryConfig());
