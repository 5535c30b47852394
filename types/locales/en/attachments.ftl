# Sentences the server says about attachments (ids err-…): see types/src/phrase.rs.
err-attachments-program = Programs and scripts are not accepted.
err-attachments-markup = HTML, SVG and XML files are not accepted: a browser could run what is in them.
err-attachments-empty = The file is empty.
err-attachments-recording-empty = The recording is empty; record for a moment longer.
err-attachments-type = Files of type { $mime } are not accepted; send images, video, audio, PDFs, office documents, archives or plain text.
# $kind: image, video, audio or document (what the content turned out to be).
err-attachments-name-mismatch = The file is named .{ $ext } but its content is { $kind ->
    [image] an image
    [video] a video
    [audio] audio
   *[document] a document
} ({ $mime }): its name must match what it is.
err-attachments-voice = A voice message must be a sound recording.
err-attachments-text-name = The file is named .{ $ext } but its content is plain text: only .txt, .csv, .md, .json and similar names may hold text.
err-attachments-unknown-type = Parley could not tell from its content what this file is; send images, video, audio, PDFs, office documents, archives or plain text.
err-attachments-not-text = The file is named .{ $ext } but its content is not plain text: its name must match what it is.
err-attachments-image-damaged = The image is damaged: its size cannot be read.
err-attachments-image-pixels = The image is { $width }×{ $height } ({ $megapixels } megapixels); images may have at most { $max } megapixels.
err-attachments-name-empty = The file needs a name.
err-attachments-name-long = File names may be at most { $max } characters long.
# $kind: image, video, audio or document; $max: a size such as "2 GB".
err-attachments-limit-range = { $kind ->
    [image] Images
    [video] Videos
    [audio] Audio files
   *[document] Documents
} need a limit between 1 byte and { $max }.
# $kind: image, video, audio or document; $limit: a size such as "25 MB".
err-attachments-kind-too-large = { $kind ->
    [image] Images
    [video] Videos
    [audio] Audio files
   *[document] Documents
} may be at most { $limit }.
err-attachments-too-large = Files may be at most { $limit }.
err-attachments-quick-reply-full = A quick reply may keep at most { $max } files.
err-attachments-interrupted = The upload was interrupted; send the file again.
err-attachments-message-full = A message may carry at most { $max } files.
err-attachments-twice = The same file is attached twice.
err-attachments-unknown = An attached file is unknown or was sent already; attach it again.
err-attachments-name-utf8 = The file name is not valid UTF-8.
# $header: the HTTP header's name (x-parley-filename).
err-attachments-name-header = Name the file in the { $header } header.
err-attachments-target = Name either the conversation or the quick reply the file is for.
