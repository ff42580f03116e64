// Saving something the page made (a picture, a CSV, a fetched export) as a download: a link to a
// blob URL, clicked, and the URL freed once the browser has taken it.
export function saveBlob(blob: Blob, fileName: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
