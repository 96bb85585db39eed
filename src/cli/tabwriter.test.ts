import { describe, expect, it } from "vitest";
import { COMPOSE_TABLE, DOCKER_TABLE, tabwrite } from "./tabwriter.js";

describe("tabwrite", () => {
  it("pads columns to the widest cell plus padding, never below the minimum, and leaves the last cell as is", () => {
    expect(tabwrite([["DRIVER", "VOLUME NAME"], ["local", "demo_data"]], DOCKER_TABLE)).toBe("DRIVER    VOLUME NAME\nlocal     demo_data\n");
    expect(tabwrite([["NAME", "STATUS", "CONFIG FILES"], ["a-very-long-project-name", "running(2)", "/x/compose.yaml"]], COMPOSE_TABLE)).toBe(
      // 24 characters + 3 of padding; "running(2)" is under the minimum of 20.
      `${"NAME".padEnd(27)}${"STATUS".padEnd(20)}CONFIG FILES\n${"a-very-long-project-name".padEnd(27)}${"running(2)".padEnd(20)}/x/compose.yaml\n`,
    );
  });

  it("prints a header alone when there are no rows", () => {
    expect(tabwrite([["NAME", "STATUS"]], COMPOSE_TABLE)).toBe("NAME                STATUS\n");
  });
});
