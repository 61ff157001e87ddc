-- AddForeignKey
ALTER TABLE "official_document" ADD CONSTRAINT "official_document_tenant_id_file_id_fkey" FOREIGN KEY ("tenant_id", "file_id") REFERENCES "stored_file"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "document_envelope" ADD CONSTRAINT "document_envelope_sender_tenant_id_file_id_fkey" FOREIGN KEY ("sender_tenant_id", "file_id") REFERENCES "stored_file"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
