// Re-renders a view at the spinner's pace while `busy`, and not at all otherwise: an idle view
// costs nothing (the watch dashboard's idle CPU goal, docs/ui.md).
import { useEffect, useState } from "react";
import { SPINNER_MS } from "./progress-line.js";

export function useSpinnerTick(busy: boolean): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => setTick((t) => t + 1), SPINNER_MS);
    timer.unref?.();
    return () => clearInterval(timer);
  }, [busy]);
}
