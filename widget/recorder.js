/* Parley voice recorder, loaded by the widget only when a visitor first records a voice
 * message (served from /widget/pkg/ under a content-hashed name, see build-widget.sh).
 *
 * start(onTick) asks for the microphone and starts recording; onTick(seconds) is called
 * every second. It resolves to { stop, cancel }: stop() resolves to the recording as a
 * File (WebM/Opus where the browser can, else what it can), cancel() discards it. Both
 * release the microphone. Rejects when there is no microphone or permission. */
export async function start(onTick) {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const type = ['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4'].find(
    (t) => window.MediaRecorder && MediaRecorder.isTypeSupported(t)
  );
  let recorder;
  try {
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  } catch (err) {
    stream.getTracks().forEach((t) => t.stop());
    throw err;
  }
  const chunks = [];
  recorder.ondataavailable = (e) => {
    if (e.data && e.data.size) chunks.push(e.data);
  };
  const began = Date.now();
  const ticker = setInterval(() => onTick(Math.floor((Date.now() - began) / 1000)), 1000);
  const release = () => {
    clearInterval(ticker);
    stream.getTracks().forEach((t) => t.stop());
  };
  recorder.start(250);
  return {
    stop: () =>
      new Promise((resolve) => {
        recorder.onstop = () => {
          release();
          const mime = recorder.mimeType || type || 'audio/webm';
          const name = 'voice-message.' + (mime.indexOf('mp4') >= 0 ? 'mp4' : 'webm');
          resolve(new File(chunks, name, { type: mime }));
        };
        recorder.stop();
      }),
    cancel: () => {
      recorder.onstop = release;
      recorder.stop();
    },
  };
}
