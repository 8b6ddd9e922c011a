// Worker action entry: filled in by the worker issue.
import * as core from "@actions/core";

core.setFailed("handoff worker: not implemented yet");
