-- AlterTable
ALTER TABLE "dossier" ADD COLUMN     "paid_at" TIMESTAMPTZ(3);
