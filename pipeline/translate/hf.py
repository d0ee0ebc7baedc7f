"""The transformers engine: `AutoModelForSeq2SeqLM` (Marian / OPUS-MT, NLLB, BART summarisers)."""
from __future__ import annotations

from .. import models
from .engine import Engine


class HFEngine(Engine):
    name = "hf"

    def _load(self) -> None:
        self.tokenizer, self.model = models.load_hf_seq2seq(self.ref, self.decoding.device)

    def n_tokens(self, text: str, src: str | None = None) -> int:
        self.load()
        if self.multilingual:
            self.tokenizer.src_lang = self.code(src)
        return len(self.tokenizer(text).input_ids)

    def input_limit(self) -> int:
        self.load()
        if self.decoding.max_input_tokens:
            return self.decoding.max_input_tokens
        return min(self.model.config.max_position_embeddings, self.tokenizer.model_max_length) - 2

    def output_limit(self) -> int:
        self.load()
        return self.model.config.max_position_embeddings - 2

    def _generate(self, texts, max_new, src_code, tgt_code):
        import torch

        d = self.decoding
        kwargs = {"min_new_tokens": d.min_new_tokens} if d.min_new_tokens else {}
        forced = 0
        if tgt_code:
            self.tokenizer.src_lang = src_code
            kwargs["forced_bos_token_id"] = self.tokenizer.convert_tokens_to_ids(tgt_code)
            forced = 1  # the forced language code is one of the new tokens
        enc = self.tokenizer(texts, return_tensors="pt", padding=True).to(d.device)
        with torch.inference_mode():
            out = self.model.generate(**enc, num_beams=d.beams, do_sample=False,
                                      max_new_tokens=max_new + forced, num_return_sequences=1, **kwargs)
        eos = self.model.generation_config.eos_token_id
        eos = set(eos if isinstance(eos, list) else [eos])
        finished = [any(int(i) in eos for i in row[1:]) for row in out]
        texts_out = [t.strip() for t in self.tokenizer.batch_decode(out, skip_special_tokens=True)]
        return list(zip(texts_out, finished, strict=True))
