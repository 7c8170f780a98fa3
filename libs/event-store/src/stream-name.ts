/** Streams are named `<category>-<id>`; the category never contains '-'. */
export const streamName = (category: string, id: string): string => {
  if (!/^[a-z][a-zA-Z0-9]*$/.test(category)) throw new Error(`Invalid stream category: ${category}`);
  if (id.length === 0) throw new Error('Stream id must not be empty');
  return `${category}-${id}`;
};
