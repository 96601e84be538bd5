import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { RowBuilder, type DashboardBuilder, type Panel } from '@grafana/grafana-foundation-sdk/dashboard';

export const GRID_COLUMNS = 24;

interface PlaceablePanel extends cog.Builder<Panel> {
  id(id: number): this;
  gridPos(gridPos: { x: number; y: number; w: number; h: number }): this;
}

/**
 * Places rows and panels on Grafana's 24-column grid left to right, wrapping to a new line when a panel
 * does not fit, and numbers them 1, 2, 3... in order. The SDK's own auto-layout lets a panel overflow
 * the grid (it wraps only after placing), so every position here is explicit.
 */
export class GridLayout {
  private x = 0;
  private y = 0;
  private lineHeight = 0;
  private nextId = 1;

  constructor(private readonly dashboard: DashboardBuilder) {}

  row(title: string): this {
    this.newLine();
    this.dashboard.withRow(
      new RowBuilder(title).id(this.nextId++).gridPos({ x: 0, y: this.y, w: GRID_COLUMNS, h: 1 }),
    );
    this.y += 1;
    return this;
  }

  panel(panel: PlaceablePanel, w: number, h: number): this {
    if (w > GRID_COLUMNS) throw new RangeError(`a panel cannot be wider than ${GRID_COLUMNS} columns`);
    if (this.x + w > GRID_COLUMNS) this.newLine();
    this.dashboard.withPanel(panel.id(this.nextId++).gridPos({ x: this.x, y: this.y, w, h }));
    this.x += w;
    this.lineHeight = Math.max(this.lineHeight, h);
    return this;
  }

  private newLine(): void {
    this.y += this.lineHeight;
    this.x = 0;
    this.lineHeight = 0;
  }
}
