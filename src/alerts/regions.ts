/** Region ids are kept between commas (",north,almaty,") so that one region is found with instr(). */
export function joinRegions(regions: readonly string[]): string {
  return regions.length === 0 ? '' : `,${[...new Set(regions)].join(',')},`;
}

export function splitRegions(stored: string): string[] {
  return stored.split(',').filter(Boolean);
}

/** Whether two stored region lists share a region. */
export function overlaps(a: string, b: string): boolean {
  return splitRegions(a).some((region) => b.includes(`,${region},`));
}
